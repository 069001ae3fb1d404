package org.recsysrl.util;

/**
 * A mistake the user can fix: a bad flag, file, checkpoint or data line. The message names the
 * input and says what to do; the command line prints it on one line and exits with code 2.
 * Programming errors must not use this type.
 */
public class UserInputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UserInputException(String message) {
        super(message);
    }

    public UserInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
