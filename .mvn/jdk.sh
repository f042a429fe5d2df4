# Finds a JDK 25 or newer and exports JAVA_HOME to it; sourced by ./mvnw and ./t4j (POSIX sh).
#
# Order: JAVA_HOME when it is 25+, then the `java` on PATH when it is 25+, then the newest 25+ JDK in the
# usual install places. When there is none it prints one sentence and exits, so nobody has to decode
# "release version 25 not supported" from javac.

t4j_java_major() { # prints the feature version (17, 25...) of the JDK home $1, or nothing
  _v=""
  if [ -f "$1/release" ]; then
    _v=$(sed -n 's/^JAVA_VERSION="\([0-9][0-9]*\).*/\1/p' "$1/release" 2>/dev/null)
  fi
  if [ -z "$_v" ] && [ -x "$1/bin/java" ]; then
    _v=$("$1/bin/java" -version 2>&1 | sed -n '1s/.*version "\([0-9][0-9]*\).*/\1/p')
  fi
  printf '%s' "$_v"
}

t4j_is_jdk() { # a home with both java and javac, of version 25+
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 1
  _m=$(t4j_java_major "$1")
  [ -n "$_m" ] && [ "$_m" -ge 25 ]
}

t4j_find_jdk() {
  if [ -n "${JAVA_HOME-}" ] && t4j_is_jdk "$JAVA_HOME"; then
    export JAVA_HOME
    return 0
  fi
  _java=$(command -v java 2>/dev/null || true)
  if [ -n "$_java" ]; then
    _home=$(dirname "$(dirname "$(readlink -f "$_java")")")
    if t4j_is_jdk "$_home"; then
      JAVA_HOME=$_home
      export JAVA_HOME
      return 0
    fi
  fi
  _best="" _best_major=0
  _restore_noglob=false
  case $- in *f*) _restore_noglob=true; set +f ;; esac
  # T4J_JDK_DIRS (space-separated patterns) replaces the usual places; the tests use it.
  _dirs=${T4J_JDK_DIRS:-"/usr/lib/jvm/* /usr/lib64/jvm/* /usr/java/* /opt/java/* /opt/jdk* ${HOME:-/nonexistent}/.sdkman/candidates/java/* ${HOME:-/nonexistent}/.jdks/* /Library/Java/JavaVirtualMachines/*/Contents/Home"}
  for _home in $_dirs; do
    [ -d "$_home" ] && [ ! -L "$_home" ] || continue
    if t4j_is_jdk "$_home" && [ "$_m" -gt "$_best_major" ]; then
      _best=$_home _best_major=$_m
    fi
  done
  if $_restore_noglob; then set -f; fi
  if [ -n "$_best" ]; then
    JAVA_HOME=$_best
    export JAVA_HOME
    return 0
  fi
  echo "transformer4j needs a JDK 25 or newer, and none was found (JAVA_HOME=${JAVA_HOME:-unset}, java on PATH=${_java:-none}, and none in /usr/lib/jvm, /usr/lib64/jvm, /usr/java, /opt, ~/.sdkman or ~/.jdks): install one (for example Temurin 25) or set JAVA_HOME to it." >&2
  exit 1
}
