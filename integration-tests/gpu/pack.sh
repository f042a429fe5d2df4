#!/usr/bin/env bash
# pack.sh: packs, on a machine without a GPU, everything that the one call on a GPU machine needs (run.sh), into
# .gpu/ at the repository root (ignored by git; the device tool takes it along with `carry: [".gpu"]`):
#
#   .gpu/jre.txz     a Java 25 runtime trimmed with jlink (the GPU machine has no Java)
#   .gpu/lib/        the jars of the cli and of the integration tests, without ND4J and Spark, and JUnit's console
#                    launcher: `java -cp '.gpu/lib/*'` runs both `t4j` and the tests
#   .gpu/t4j         a launcher for that class path, as ./t4j starts the jar
#   .gpu/model/      a trained model for the decoding checks (default: models/quickstart), its weights rounded to
#                    float16 (half the size; every comparison is between backends on this same file)
#
# Usage: integration-tests/gpu/pack.sh [MODEL_DIR]     (docs/backends.md, "Checking on a GPU")
# The device tool sends at most 64 MiB with the working tree; the script prints the kit's size and stops if it is
# larger than LIMIT_MIB.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
# shellcheck source=../../.mvn/jdk.sh
. .mvn/jdk.sh
t4j_find_jdk
model=${1:-models/quickstart}
LIMIT_MIB=${LIMIT_MIB:-58}
junit_version=$(sed -n 's:.*<junit.version>\(.*\)</junit.version>.*:\1:p' pom.xml)

for f in config.json model.safetensors tokenizer.json; do
  [[ -f $model/$f ]] || { echo "pack: $model/$f is missing: pass a trained model directory (./t4j quickstart makes one)" >&2; exit 2; }
done

rm -rf .gpu && mkdir -p .gpu/lib .gpu/model
echo "pack: building (tests compiled, not run) and writing the integration tests' class path"
./mvnw -q -B -o -DskipTests -Dshade.skip=true package dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt -pl integration-tests -am
# Everything on the tests' class path (our modules' jars among them) but ND4J with what it brings, Spark and its
# world: the GPU run tests the cpu and cuda backends only, and those jars are hundreds of megabytes.
left_out=(
  org/nd4j org/bytedeco org/deeplearning4j org/datavec                      # ND4J
  com/jakewharton org/apache/commons commons-net commons-io commons-codec   # ... and what ND4J brings
  com/google/flatbuffers com/github/oshi net/java/dev/jna org/threeten net/ericaro it/unimi com/google/code/gson
  org/apache/spark org/scala-lang org/apache/hadoop org/apache/hive org/apache/arrow org/apache/parquet  # Spark
  org/apache/orc org/apache/avro org/apache/zookeeper org/apache/curator io/netty org/glassfish org/eclipse/jetty
  org/apache/ivy org/rocksdb org/lz4 com/github/luben org/xerial io/dropwizard org/json4s com/twitter
  org/roaringbitmap org/apache/logging net/razorvine org/antlr com/esotericsoftware com/clearspring io/airlift
  org/codehaus/janino org/apache/datasketches org/apache/xbean com/fasterxml/jackson/module/jackson-module-scala
  com/tngtech org/webjars                                                   # ArchUnit; the charts' ECharts
)
pattern="/($(IFS='|'; echo "${left_out[*]}"))/|transformer4j-(spark|backend-nd4j)"
tr ':' '\n' < integration-tests/target/test-classpath.txt \
  | grep -v -E "$pattern" \
  | while read -r jar; do [[ -n $jar ]] && cp "$jar" .gpu/lib/; done
"$JAVA_HOME/bin/jar" --create --file .gpu/lib/transformer4j-integration-tests-tests.jar -C integration-tests/target/test-classes .
# JCuda's natives without the libraries we do not call (the PTX compiler alone is 24 MB): the driver API is all.
python3 - .gpu/lib/jcuda-natives-*.jar <<'PY'
import sys, zipfile
path = sys.argv[1]
with zipfile.ZipFile(path) as z:
    kept = [(i, z.read(i)) for i in z.infolist() if not i.filename.startswith("lib/") or "JCudaDriver" in i.filename]
with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
    for info, data in kept:
        z.writestr(info, data)
PY
rm -f .gpu/lib/junit-jupiter-*.jar .gpu/lib/junit-platform-*.jar .gpu/lib/opentest4j-*.jar  # all in the standalone jar
./mvnw -q -B dependency:copy -Dartifact="org.junit.platform:junit-platform-console-standalone:$junit_version" \
  -DoutputDirectory="$root/.gpu/lib"

# The runtime: the modules that the checks use (jdk.zipfs: JUnit finds test classes in jars through it). Not java.desktop (12 MB; only the HTML and SVG pages of report and
# illustrate need it, through FreeMarker and JFreeSVG), which jdeps would add; the dry run (run.sh with
# GPU_CHECK_BACKEND=cpu) runs every stage on this runtime and shows a missing module.
modules=java.base,java.logging,java.management,jdk.management,java.xml,java.sql,java.naming,jdk.unsupported,jdk.zipfs,jdk.incubator.vector
echo "pack: runtime modules: $modules"
# Uncompressed modules in an xz archive: 16 MB, against 28 MB for jlink's zip-9 in a gzip archive.
"$JAVA_HOME/bin/jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages --compress=zip-0 \
  --output .gpu/jre
tar cJf .gpu/jre.txz -C .gpu jre && rm -rf .gpu/jre

cp "$model"/config.json "$model"/tokenizer.json .gpu/model/
python3 integration-tests/gpu/half_weights.py "$model"/model.safetensors .gpu/model/model.safetensors
cp integration-tests/gpu/t4j-on-gpu .gpu/t4j && chmod +x .gpu/t4j

size=$(du -sm .gpu | cut -f1)
echo "pack: .gpu holds ${size} MiB ($(ls .gpu/lib | wc -l) jars; the device tool sends at most 64 MiB with the working tree)"
du -sh .gpu/jre.txz .gpu/lib .gpu/model
if (( size > LIMIT_MIB )); then
  echo "pack: .gpu is larger than ${LIMIT_MIB} MiB: the call would be refused" >&2
  exit 1
fi
