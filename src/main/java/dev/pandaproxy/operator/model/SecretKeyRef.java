package dev.pandaproxy.operator.model;

import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** A key of a Secret in the printer's namespace. */
public class SecretKeyRef {
    @Required
    @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
    private String name;

    @Pattern("^[-._a-zA-Z0-9]+$")
    private String key;

    public SecretKeyRef() {}

    public SecretKeyRef(String name, String key) {
        this.name = name;
        this.key = key;
    }

    /** The Secret's name. */
    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    /** The key inside it; each reference documents its default. */
    public String getKey() {
        return key;
    }

    public void setKey(String key) {
        this.key = key;
    }
}
