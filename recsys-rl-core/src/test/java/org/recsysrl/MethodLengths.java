package org.recsysrl;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds the methods, constructors and initialisers of Java sources with their length in lines
 * (from the line of the declaration's name to the closing brace), by counting braces: comments,
 * strings, text blocks and character literals are blanked first, then each {@code {} is classified
 * by what precedes it (a class body, a method body, or a block inside one). No parser: it relies
 * on the sources compiling, which the build has checked before the tests run.
 *
 * <p>Run it alone for a list ({@code java MethodLengths.java DIR... }) or through
 * {@link MethodLengthTest}.
 */
final class MethodLengths {
    /** One method: its file, its name ({@code Class.method}), first line and length in lines. */
    record Method(Path file, String name, int line, int lines) {
        /** {@code path#Class.method}, the form of the allow-list. */
        String key(Path root) {
            return root.relativize(file).toString().replace('\\', '/') + "#" + name;
        }
    }

    private static final Pattern TYPE = Pattern.compile("\\b(class|interface|enum|record)\\s+(\\w+)");
    private static final Pattern METHOD = Pattern.compile("(\\w+)\\s*\\($");
    private static final List<String> NOT_METHODS = List.of("if", "for", "while", "switch", "catch", "synchronized",
            "try", "return", "new", "else", "do", "throw", "assert", "super", "this");

    private MethodLengths() {
    }

    /** Every method of every {@code .java} file below {@code dirs}. */
    static List<Method> scan(List<Path> dirs) {
        List<Method> out = new ArrayList<>();
        for (Path dir : dirs) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                    out.addAll(scan(f, Files.readString(f)));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    private enum Scope { TYPE, METHOD, BLOCK }

    private record Open(Scope scope, String name, int line) {
    }

    /** The methods of one source file. */
    static List<Method> scan(Path file, String source) {
        String code = blank(source);
        List<Method> out = new ArrayList<>();
        Deque<Open> open = new ArrayDeque<>();
        int line = 1;
        int headerStart = 0;
        int parens = 0;
        for (int i = 0; i < code.length(); i++) {
            char c = code.charAt(i);
            if (c == '\n') {
                line++;
            } else if (c == '(') {
                parens++;
            } else if (c == ')') {
                parens--;
            } else if (c == ';' && parens == 0) {
                headerStart = i + 1;
            } else if (c == '{') {
                String header = code.substring(headerStart, i);
                open.push(classify(open, header, line - newlines(header, code, i), parens));
                headerStart = i + 1;
            } else if (c == '}') {
                Open o = open.pop();
                if (o.scope() == Scope.METHOD) {
                    out.add(new Method(file, o.name(), o.line(), line - o.line() + 1));
                }
                headerStart = i + 1;
            }
        }
        return out;
    }

    /** How many line breaks follow the header's name (to find the line the declaration starts on). */
    private static int newlines(String header, String code, int brace) {
        Matcher m = TYPE.matcher(header);
        int from = m.find() ? m.start() : firstCode(header);
        int n = 0;
        for (int j = from; j < header.length(); j++) {
            if (header.charAt(j) == '\n') {
                n++;
            }
        }
        return n;
    }

    private static int firstCode(String header) {
        for (int j = 0; j < header.length(); j++) {
            if (!Character.isWhitespace(header.charAt(j))) {
                return j;
            }
        }
        return header.length();
    }

    private static Open classify(Deque<Open> open, String header, int line, int parens) {
        Open parent = open.peek();
        String h = header.replaceAll("@\\w+(\\.\\w+)*(\\s*\\([^()]*\\))?", " ").strip();
        String owner = enclosingType(open);
        if (parens > 0 || h.contains("->") || h.endsWith("=") || h.endsWith(",")) {
            return new Open(Scope.BLOCK, null, line);
        }
        Matcher type = TYPE.matcher(h);
        if (type.find() || h.matches("(?s).*\\bnew\\s+[\\w.<>, ?]+\\([^;]*\\)\\s*$")) {
            return new Open(Scope.TYPE, type.find(0) ? qualified(owner, type.group(2)) : owner + ".new", line);
        }
        if (parent == null || parent.scope() != Scope.TYPE) {
            return new Open(Scope.BLOCK, null, line);
        }
        if (h.isEmpty() || h.equals("static")) {
            return new Open(Scope.METHOD, owner + ".<init-block>", line);
        }
        // an enum constant with a body, or a compact record constructor: a name alone
        if (h.matches("[\\w.]+")) {
            String last = h.substring(h.lastIndexOf(' ') + 1);
            return new Open(Character.isUpperCase(last.charAt(0)) && !last.equals(simple(owner))
                    ? Scope.TYPE : Scope.METHOD, owner + "." + last, line);
        }
        String beforeThrows = h.replaceAll("(?s)\\)\\s*throws\\s+[\\w.,\\s<>]+$", ")");
        int close = beforeThrows.lastIndexOf(')');
        int depth = 0;
        int openParen = -1;
        for (int j = close; j >= 0; j--) {
            char ch = beforeThrows.charAt(j);
            if (ch == ')') {
                depth++;
            } else if (ch == '(') {
                depth--;
                if (depth == 0) {
                    openParen = j;
                    break;
                }
            }
        }
        if (openParen > 0) {
            Matcher m = METHOD.matcher(beforeThrows.substring(0, openParen + 1));
            if (m.find() && !NOT_METHODS.contains(m.group(1))) {
                return new Open(Scope.METHOD, owner + "." + m.group(1), line);
            }
        }
        return new Open(Scope.BLOCK, null, line);
    }

    private static String enclosingType(Deque<Open> open) {
        for (Open o : open) {
            if (o.scope() == Scope.TYPE) {
                return o.name();
            }
        }
        return "";
    }

    private static String qualified(String owner, String name) {
        return owner.isEmpty() ? name : owner + "." + name;
    }

    private static String simple(String owner) {
        return owner.substring(owner.lastIndexOf('.') + 1);
    }

    /** The source with comments and literals replaced by spaces (line breaks kept). */
    static String blank(String s) {
        StringBuilder b = new StringBuilder(s.length());
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (s.startsWith("//", i)) {
                while (i < s.length() && s.charAt(i) != '\n') {
                    b.append(' ');
                    i++;
                }
            } else if (s.startsWith("/*", i)) {
                int end = s.indexOf("*/", i + 2);
                end = end < 0 ? s.length() : end + 2;
                keepLines(b, s, i, end);
                i = end;
            } else if (s.startsWith("\"\"\"", i)) {
                int end = s.indexOf("\"\"\"", i + 3);
                end = end < 0 ? s.length() : end + 3;
                keepLines(b, s, i, end);
                i = end;
            } else if (c == '"' || c == '\'') {
                int j = i + 1;
                while (j < s.length() && s.charAt(j) != c) {
                    j += s.charAt(j) == '\\' ? 2 : 1;
                }
                keepLines(b, s, i, Math.min(j + 1, s.length()));
                i = j + 1;
            } else {
                b.append(c);
                i++;
            }
        }
        return b.toString();
    }

    private static void keepLines(StringBuilder b, String s, int from, int to) {
        for (int j = from; j < to; j++) {
            b.append(s.charAt(j) == '\n' ? '\n' : ' ');
        }
    }

    /** Lists the methods over {@code args[0]} lines below the directories that follow. */
    public static void main(String[] args) {
        int limit = Integer.parseInt(args[0]);
        List<Path> dirs = Stream.of(args).skip(1).map(Path::of).toList();
        Path root = Path.of("").toAbsolutePath();
        List<Method> longer = scan(dirs.stream().map(Path::toAbsolutePath).toList()).stream()
                .filter(m -> m.lines() > limit).toList();
        longer.forEach(m -> System.out.println(m.lines() + "\t" + m.key(root)));
        System.out.println(longer.size() + " methods over " + limit + " lines");
    }
}
