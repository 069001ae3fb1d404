#!/usr/bin/env bash
# The scaling table of docs/spark.md: runs scripts/SparkScale.java on one path under /usr/bin/time -v.
#
#   scripts/spark-scale.sh jvm   LOG.tsv                    # in-JVM path
#   scripts/spark-scale.sh spark LOG.tsv [PARTITIONS]       # Spark local[2] (override with SPARK_MASTER)
#
# HEAP (default 4g) is the JVM's -Xmx. Spark's jars come from the local Maven repository (the module's
# provided dependencies); the job jar is built when missing. Run from the repository's root.
set -euo pipefail
mode=${1:?usage: spark-scale.sh jvm|spark LOG [PARTITIONS]}
log=${2:?usage: spark-scale.sh jvm|spark LOG [PARTITIONS]}
shift 2
root=$(cd "$(dirname "$0")/.." && pwd)
job=$root/recsys-rl-spark/target/recsys-rl-spark-job.jar
cp_file=$root/recsys-rl-spark/target/spark-classpath.txt
if [[ ! -f $job ]]; then
  (cd "$root" && ./mvnw -B -q -DskipTests -DskipLibraryArtifacts package -pl recsys-rl-spark -am)
fi
if [[ ! -f $cp_file ]]; then
  (cd "$root" && ./mvnw -B -q dependency:build-classpath -pl recsys-rl-spark -Dmdep.includeScope=provided \
      -Dmdep.outputFile="$cp_file")
fi
# the job jar holds this checkout's core: drop any installed copy of it from Spark's class path
spark_cp=$(tr ':' '\n' < "$cp_file" | grep -v '/org/recsysrl/' | paste -sd:)
opts=$(sed -n 's:.*<spark.test.moduleOptions>\(.*\)</spark.test.moduleOptions>.*:\1:p' "$root/recsys-rl-spark/pom.xml")
classes=$root/recsys-rl-spark/target/spark-scale-classes
if [[ ! -f $classes/SparkScale.class || $root/scripts/SparkScale.java -nt $classes/SparkScale.class || $job -nt $classes/SparkScale.class ]]; then
  mkdir -p "$classes" && javac -d "$classes" -cp "$job:$spark_cp" "$root/scripts/SparkScale.java"
fi
master=${SPARK_MASTER:-local[2]}
# shellcheck disable=SC2086
exec /usr/bin/time -v java -XX:+UseSerialGC -Xmx"${HEAP:-4g}" $opts -Dspark.master="$master" ${EXTRA_JAVA_OPTS:-} \
  -cp "$classes:$job:$spark_cp" SparkScale "$mode" "$log" "$@"
