"""The ranker's tests load without the web app: collecting them imports no Flask."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Collect tests/matching in a fresh interpreter (this one may have the app loaded by other tests)
# and report which of the web app's packages that pulled in.
COLLECT = """
import sys, pytest
code = pytest.main(["--collect-only", "-q", "-p", "no:cacheprovider", "tests/matching"])
loaded = sorted({m.split(".")[0] for m in sys.modules} & {"flask", "flask_login", "trustee_match"})
print("exit", int(code), "loaded", ",".join(loaded) or "none")
"""


def test_collecting_the_ranker_tests_imports_no_flask_and_no_app():
    result = subprocess.run(
        [sys.executable, "-c", COLLECT], cwd=ROOT, capture_output=True, text=True, timeout=120
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "test_index.py::" in result.stdout  # it did collect the ranker's tests
    assert result.stdout.strip().splitlines()[-1] == "exit 0 loaded none", result.stdout
