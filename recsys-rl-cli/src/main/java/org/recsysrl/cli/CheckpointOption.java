package org.recsysrl.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --checkpoint}, shared by the commands that read a trained model ({@code evaluate}, {@code serve}). */
final class CheckpointOption {
    @Option(names = "--checkpoint", required = true, description = "a .safetensors file written by train")
    Path checkpoint;
}
