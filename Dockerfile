# recsys-rl in a container, from the distribution tarball (docs/distribution.md).
#
#   ./mvnw -B -Pdist -DskipTests package          # writes target/recsys-rl-<version>.tar.gz
#   docker build -t recsys-rl --build-arg VERSION=0.1.0-SNAPSHOT .
#   docker run --rm -v "$PWD/work:/work" recsys-rl train --algo ppo
#   docker run --rm -p 8080:8080 -v "$PWD/work:/work" recsys-rl serve --checkpoint checkpoints/ppo.safetensors
#
# The tarball carries its own Java runtime (jlink), built on the build machine for its OS and CPU
# architecture: build the tarball on linux/amd64 (glibc) for a linux/amd64 image. The base image only
# needs glibc and bash.
FROM debian:bookworm-slim
ARG VERSION=0.1.0-SNAPSHOT
# ADD unpacks a local tar.gz
ADD target/recsys-rl-${VERSION}.tar.gz /opt/
RUN ln -s /opt/recsys-rl-${VERSION} /opt/recsys-rl \
    && useradd --create-home --uid 10001 recsys \
    && mkdir /work && chown recsys /work
USER recsys
# checkpoints/ and logs/ are written under the working directory: mount it to keep them
WORKDIR /work
EXPOSE 8080
ENTRYPOINT ["/opt/recsys-rl/recsys-rl"]
CMD ["--help"]
