package dev.pandaproxy.packaging;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One command of a shell text (a README block, a workflow's {@code run:}) that runs one of the tools the packaging
 * tests compare: {@code ./mvnw}, {@code .ci/run}, {@code docker}, {@code helm}. Found wherever it stands in a line
 * (after {@code sudo}, inside {@code $(...)}), up to the end of the command; lines continued with {@code \} are one.
 *
 * @param words the command's words, quotes kept
 */
record Command(List<String> words) {
    private static final Pattern COMMAND =
            Pattern.compile("(?<![\\w/.$-])(\\./mvnw|\\.ci/run|docker|helm)(?![\\w/.-])[^\\n;&|)#]*");

    static List<Command> in(String shell) {
        String joined = shell.replaceAll("\\\\\\n\\s*", " ");
        List<Command> commands = new ArrayList<>();
        for (String line : joined.lines().toList()) {
            if (line.strip().startsWith("#")) {
                continue;
            }
            Matcher found = COMMAND.matcher(line);
            while (found.find()) {
                commands.add(new Command(List.of(found.group().strip().split("\\s+"))));
            }
        }
        return commands;
    }

    String program() {
        return words.getFirst();
    }

    /** The words before the first option: {@code docker buildx build}, {@code ./mvnw}. */
    List<String> verb() {
        return words.stream().takeWhile(word -> !word.startsWith("-")).toList();
    }

    /** The words after the {@link #verb()} that are neither options nor their values: {@code .} of a docker build. */
    List<String> arguments() {
        List<String> arguments = new ArrayList<>();
        for (int i = verb().size(); i < words.size(); i++) {
            String word = words.get(i);
            if (word.startsWith("-")) {
                if (!word.contains("=") && takesValue(word) && i + 1 < words.size()) {
                    i++;
                }
            } else {
                arguments.add(word);
            }
        }
        return arguments;
    }

    /** The names of its options: {@code --platform}, {@code -q}, {@code -Dexpression} (without their values). */
    Set<String> optionNames() {
        Set<String> names = new LinkedHashSet<>();
        words.stream().filter(word -> word.startsWith("-")).forEach(word -> names.add(word.split("=", 2)[0]));
        return names;
    }

    /** The value of {@code --name=value} or {@code --name value}. */
    Optional<String> option(String name) {
        for (int i = 0; i < words.size(); i++) {
            String word = words.get(i);
            if (word.startsWith(name + "=")) {
                return Optional.of(word.substring(name.length() + 1));
            }
            if (word.equals(name) && i + 1 < words.size()) {
                return Optional.of(words.get(i + 1));
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return String.join(" ", words);
    }

    // the options of `docker build` that take a value, so that the value is not read as the build context
    private static boolean takesValue(String option) {
        return Set.of("-t", "--tag", "-f", "--file", "--platform", "--metadata-file", "--sbom", "--provenance")
                .contains(option);
    }
}
