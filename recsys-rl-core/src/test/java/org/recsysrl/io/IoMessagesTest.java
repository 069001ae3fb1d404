package org.recsysrl.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.recsysrl.util.UserInputException;

/** The one-line reasons {@link IoMessages} gives for each kind of I/O failure. */
class IoMessagesTest {
    @Test
    void oneLineCollapsesLineBreaksAndTheSpaceAroundThem() {
        assertThat(IoMessages.oneLine(null)).isEmpty();
        assertThat(IoMessages.oneLine("  a  \n\r\n  b\rc \t")).isEqualTo("a b c");
        assertThat(IoMessages.oneLine("two  spaces stay")).isEqualTo("two  spaces stay");
    }

    @Test
    void quoteShowsControlCharactersAndCutsAt80() {
        assertThat(IoMessages.quote("a\nb\u0000c")).isEqualTo("a?b?c");
        String eighty = "x".repeat(80);
        assertThat(IoMessages.quote(eighty)).isEqualTo(eighty);
        assertThat(IoMessages.quote(eighty + "y")).isEqualTo(eighty + "...");
    }

    @Test
    void everyKindOfFailureHasItsOwnShortReason() {
        assertThat(IoMessages.reason(new AccessDeniedException("/x/y"))).isEqualTo("permission denied");
        assertThat(IoMessages.reason(new NoSuchFileException("/x/y"))).isEqualTo("no such file or directory: /x/y");
        assertThat(IoMessages.reason(new NotDirectoryException("/x/y"))).isEqualTo("not a directory: /x/y");
        assertThat(IoMessages.reason(new FileAlreadyExistsException("/x/y"))).isEqualTo("a file named /x/y is in the way");
        assertThat(IoMessages.reason(new FileSystemException("/x/y", null, "No space left\non device")))
                .isEqualTo("No space left on device");
        // a file-system exception without a reason falls back to its message, which names the file
        assertThat(IoMessages.reason(new FileSystemException("/x/y"))).isEqualTo("/x/y");
        assertThat(IoMessages.reason(new IOException("stream\nclosed"))).isEqualTo("stream closed");
        assertThat(IoMessages.reason(new IOException((String) null))).isEqualTo("IOException");
        assertThat(IoMessages.reason(new IOException(" \n "))).isEqualTo("IOException");
        assertThat(IoMessages.reason(new java.io.EOFException())).isEqualTo("EOFException");
    }

    @Test
    void cannotNamesTheActionThePathTheReasonAndTheFix() {
        IOException cause = new AccessDeniedException("/srv/out");
        UserInputException e = IoMessages.cannot("write\nlog", Path.of("/srv/out"), cause, "choose another --out");
        assertThat(e.getMessage()).isEqualTo("cannot write log /srv/out (permission denied): choose another --out");
        assertThat(e.getCause()).isSameAs(cause);
    }
}
