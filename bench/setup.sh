#!/usr/bin/env bash
# Idempotent setup for the benchmark: Debian's fastText CLI + GNU time, and a venv
# at bench/.venv with pinned scikit-learn, numpy and scipy. Prints the versions.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
SKLEARN_VERSION="${SKLEARN_VERSION:-1.9.1}"
NUMPY_VERSION="${NUMPY_VERSION:-2.4.6}"
SCIPY_VERSION="${SCIPY_VERSION:-1.17.1}"

need=()
command -v fasttext >/dev/null 2>&1 || need+=(fasttext)
[ -x /usr/bin/time ] || need+=(time)
if [ ${#need[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need[@]}" >/dev/null
fi

venv="$here/.venv"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
if ! "$venv/bin/python" - "$SKLEARN_VERSION" "$NUMPY_VERSION" "$SCIPY_VERSION" <<'PY' 2>/dev/null
import sys, sklearn, numpy, scipy
sys.exit(0 if (sklearn.__version__, numpy.__version__, scipy.__version__) == tuple(sys.argv[1:4]) else 1)
PY
then
  "$venv/bin/pip" install -q --disable-pip-version-check "scikit-learn==$SKLEARN_VERSION" "numpy==$NUMPY_VERSION" "scipy==$SCIPY_VERSION"
fi

echo "fasttext: $(dpkg-query -W -f='${Version}' fasttext 2>/dev/null || echo '?') (Debian package)"
echo "time: $(dpkg-query -W -f='${Version}' time 2>/dev/null || echo '?') (GNU time)"
"$venv/bin/python" -c 'import sys, sklearn, numpy, scipy; print(f"python: {sys.version.split()[0]}\nscikit-learn: {sklearn.__version__}\nnumpy: {numpy.__version__}\nscipy: {scipy.__version__}")'
