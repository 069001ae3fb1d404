package org.recsysrl.cli;

import java.io.PrintWriter;
import org.recsysrl.util.UserInputException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of the {@code recsys-rl} command. Exit codes: 0 success; 1 an internal error (a
 * bug: the stack trace is printed); 2 a problem the user can fix — a bad flag, file, setting or
 * data line, or a failed read or write (disk full, permission) — reported in one {@code error:}
 * line naming the input and the fix; 3 training diverged (a loss, gradient or weight became NaN or
 * infinite), one {@code error:} line naming the step, the term and the settings to change.
 */
@Command(name = "recsys-rl", mixinStandardHelpOptions = true, version = "recsys-rl 0.1.0",
        description = "Train, evaluate and compare reinforcement-learning recommendation policies.",
        subcommands = {TrainCommand.class, EvaluateCommand.class, BenchmarkCommand.class, ServeCommand.class,
            BenchCommand.class, PresetsCommand.class, SweepCommand.class, PlotCommand.class, OpeCommand.class,
            LogCommand.class, OpeValidateCommand.class, JoinCommand.class, LoopCommand.class, GenerateLogCommand.class,
            CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    public static final int USER_ERROR = 2;
    public static final int DIVERGED = org.recsysrl.util.NonFiniteException.EXIT_CODE;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        java.util.List<String> commands = spec.subcommands().keySet().stream().filter(c -> !c.equals("help")).toList();
        throw new CommandLine.ParameterException(spec.commandLine(),
                "missing command: use one of " + String.join(", ", commands) + " (recsys-rl COMMAND --help for each)");
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns its exit code (for tests). */
    public static int execute(String... args) {
        CommandLine cli = commandLine();
        try {
            return cli.execute(args);
        } catch (OutOfMemoryError e) {
            cli.getErr().println("error: out of memory (" + e.getMessage() + "): lower the sizes in the settings"
                    + " (items, hidden sizes, environments, episodes) or give Java more memory (RECSYS_RL_JAVA_OPTS=-Xmx...)");
            cli.getErr().flush();
            return USER_ERROR;
        }
    }

    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        cli.setParameterExceptionHandler((ex, args) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println("error: " + ex.getMessage() + " (see " + ex.getCommandLine().getCommandName() + " --help)");
            err.flush();
            return USER_ERROR;
        });
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (ex instanceof UserInputException) {
                commandLine.getErr().println("error: " + ex.getMessage());
                commandLine.getErr().flush();
                return USER_ERROR;
            }
            if (ex instanceof org.recsysrl.util.NonFiniteException) {
                commandLine.getErr().println("error: " + ex.getMessage());
                commandLine.getErr().flush();
                return DIVERGED;
            }
            java.io.IOException io = ex instanceof java.io.IOException e ? e
                    : ex instanceof java.io.UncheckedIOException u ? u.getCause() : null;
            if (io != null) {
                // a read or write the code did not expect to fail: still one line naming the file
                String file = io instanceof java.nio.file.FileSystemException f && f.getFile() != null
                        ? " on " + f.getFile() : "";
                commandLine.getErr().println("error: " + org.recsysrl.io.IoMessages.oneLine(
                        "input/output failed" + file + " (" + org.recsysrl.io.IoMessages.reason(io) + "): check the"
                                + " paths, their permissions and free disk space"));
                commandLine.getErr().flush();
                return USER_ERROR;
            }
            throw ex;
        });
        return cli;
    }
}
