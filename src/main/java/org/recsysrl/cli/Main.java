package org.recsysrl.cli;

import java.io.PrintWriter;
import org.recsysrl.util.UserInputException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of the {@code recsys-rl} command. Exit codes: 0 success, 2 a user mistake (one
 * line on stderr naming the input and the fix), 1 an internal error.
 */
@Command(name = "recsys-rl", mixinStandardHelpOptions = true, version = "recsys-rl 0.1.0",
        description = "Train, evaluate and compare reinforcement-learning recommendation policies.",
        subcommands = {TrainCommand.class, EvaluateCommand.class, BenchmarkCommand.class, ServeCommand.class, BenchCommand.class, PresetsCommand.class, SweepCommand.class, PlotCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    public static final int USER_ERROR = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: use train or evaluate");
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns its exit code (for tests). */
    public static int execute(String... args) {
        CommandLine cli = commandLine();
        return cli.execute(args);
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
            throw ex;
        });
        return cli;
    }
}
