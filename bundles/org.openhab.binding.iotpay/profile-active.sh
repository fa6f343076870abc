#!/usr/bin/env bash
# Prints one line saying whether the openHAB binding was built and tested in this build, and against which
# openHAB core. Called by CI after the build; never fails the build itself (exit 0).
set -u
here=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
ver=$(sed -n 's:.*<openhab.version>\(.*\)</openhab.version>.*:\1:p' "$here/pom.xml" | head -n1)
repo=${IOTPAY_M2_REPO:-$HOME/.m2/repository}
jar="$repo/org/openhab/core/bundles/org.openhab.core.thing/$ver/org.openhab.core.thing-$ver.jar"
reports=$(ls "$here"/target/surefire-reports/TEST-*.xml 2>/dev/null)

if [ ! -f "$jar" ]; then
  echo "openHAB binding: SKIPPED - openHAB core ${ver%.*}.x is not resolvable here (activate with -Popenhab where openHAB's repository is reachable)"
elif [ -z "$reports" ]; then
  echo "openHAB binding: NOT BUILT - openHAB core $ver is present but the binding was not tested (the openhab profile also needs -Diotpay.jdk21.home=<JDK 21+>)"
else
  # shellcheck disable=SC2086
  counts=$(sed -n 's/.*<testsuite [^>]*tests="\([0-9]*\)"[^>]*failures="\([0-9]*\)".*/\1 \2/p; s/.*<testsuite [^>]*failures="\([0-9]*\)"[^>]*tests="\([0-9]*\)".*/\2 \1/p' $reports \
    | awk '{t+=$1; f+=$2} END {print t+0, f+0}')
  set -- $counts
  errors=$(grep -ho '<testsuite [^>]*errors="[0-9]*"' $reports | sed 's/.*errors="\([0-9]*\)"/\1/' | awk '{e+=$1} END {print e+0}')
  echo "openHAB binding: built and tested against openHAB core $ver ($1 tests, $2 failures, $errors errors)"
fi
exit 0
