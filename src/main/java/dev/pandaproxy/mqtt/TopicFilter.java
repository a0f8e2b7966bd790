package dev.pandaproxy.mqtt;

/** MQTT topic filters: {@code +} matches one level, a final {@code #} matches any number (including none). */
public final class TopicFilter {
    private TopicFilter() {}

    /** Returns {@code filter} if it is a valid topic filter. */
    public static String validate(String filter) throws MqttProtocolException {
        if (filter.isEmpty()) {
            throw new MqttProtocolException("empty topic filter");
        }
        String[] levels = filter.split("/", -1);
        for (int i = 0; i < levels.length; i++) {
            String level = levels[i];
            if (level.contains("#") && (!level.equals("#") || i != levels.length - 1)) {
                throw new MqttProtocolException("'" + filter + "': # must be the whole last level");
            }
            if (level.contains("+") && !level.equals("+")) {
                throw new MqttProtocolException("'" + filter + "': + must be a whole level");
            }
        }
        return filter;
    }

    /** Whether {@code topic} (a topic name, no wildcards) matches {@code filter}. */
    public static boolean matches(String filter, String topic) {
        // topics starting with $ are not matched by a leading wildcard (MQTT 4.7.2)
        if (topic.startsWith("$") && (filter.startsWith("+") || filter.startsWith("#"))) {
            return false;
        }
        String[] f = filter.split("/", -1);
        String[] t = topic.split("/", -1);
        for (int i = 0; i < f.length; i++) {
            if (f[i].equals("#")) {
                return true;
            }
            if (i >= t.length || (!f[i].equals("+") && !f[i].equals(t[i]))) {
                return false;
            }
        }
        return f.length == t.length;
    }
}
