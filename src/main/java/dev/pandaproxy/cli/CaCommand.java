package dev.pandaproxy.cli;

import dev.pandaproxy.tls.CertificateAuthority;
import dev.pandaproxy.tls.Fingerprint;
import dev.pandaproxy.tls.Pem;
import dev.pandaproxy.tls.TlsMaterial;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code pandaproxy ca}: prints the proxy CA (created if needed) for import into slicers and Home Assistant. */
@Command(
        name = "ca",
        mixinStandardHelpOptions = true,
        versionProvider = Main.VersionProvider.class,
        description = {
            "Print the proxy CA certificate (PEM on stdout, its SHA-256 fingerprint on stderr).",
            "Clients that verify the printer (slicers, Home Assistant) must trust it once."
        })
final class CaCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Path stateDir = common.loader(Map.of(), main.env, Map.of()).stateDir();
        CertificateAuthority ca = TlsMaterial.proxyCa(stateDir);
        spec.commandLine().getOut().print(Pem.encode(List.of(ca.certificate())));
        spec.commandLine().getOut().flush();
        spec.commandLine()
                .getErr()
                .println("SHA-256 fingerprint " + Fingerprint.sha256(ca.certificate()) + " ("
                        + stateDir.resolve("ca.pem") + ")");
        return 0;
    }
}
