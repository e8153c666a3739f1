"""requirements.txt installs everything the server imports: the README's first command
installs it alone, while the tests run with requirements-dev.txt, whose packages (bm25s
brings numpy, say) could hide a missing one."""
import subprocess
import sys
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

PROJECT = Path(__file__).resolve().parents[2]

# Migrate and seed a new SQLite database, as the README's first command does, then serve
# the demo's reads and a write; print the top-level modules that were imported.
_SERVE_THE_DEMO = """
import sys
import flask_migrate
from factcheck import create_app
app = create_app({"SQLALCHEMY_DATABASE_URI": sys.argv[1]})
runner = app.test_cli_runner()
with app.app_context():
    flask_migrate.upgrade()
    seeded = runner.invoke(args=["seed"])
    assert seeded.exit_code == 0, seeded.output
    token = runner.invoke(args=["create-token", "--name", "desk", "--role", "factchecker",
                                 "--site", "desk.example.org"]).stdout.split()[-1]
client = app.test_client()
assert client.get("/api/v1/claims/contested").status_code == 200
assert client.get("/api/v1/claims/1").status_code == 200
assert client.post("/api/v1/claims/match", json={"text": "Israel warned Russia before the strike"}).status_code == 200
assert client.post("/api/v1/claims", json={"text": "Israel informed Russia of the Latakia airstrike in advance."},
                   headers={"Authorization": f"Bearer {token}"}).status_code == 201
assert client.get("/api/v1/openapi.json").status_code == 200
print("\\n".join(sorted({name.partition(".")[0] for name in sys.modules})))
"""


# Imported when installed, not needed: none of them is required by what requirements.txt names.
OPTIONAL = {
    "pyyaml": "flask-smorest's `flask openapi write --format yaml` (try/except import)",
    "pygments": "mako's error highlighting, through alembic (try/except import)",
    "setuptools": "every venv has it; its distutils hook is imported at start-up",
    "charset-normalizer": "numpy.f2py's (imported by torch), when installed (try/except import)",
}


def _installed_by(requirements: Path) -> set[str]:
    """The distributions requirements.txt names, with everything they require in turn."""
    wanted = [Requirement(line.partition("#")[0].strip()) for line in requirements.read_text().splitlines()
              if line.partition("#")[0].strip()]
    found: set[str] = set()
    while wanted:
        requirement = wanted.pop()
        name = canonicalize_name(requirement.name)
        if name in found:
            continue
        found.add(name)
        for line in metadata.requires(requirement.name) or []:
            needed = Requirement(line)
            extras = requirement.extras or {""}
            if needed.marker is None or any(needed.marker.evaluate({"extra": extra}) for extra in extras):
                wanted.append(needed)
    return found


def test_requirements_txt_installs_every_package_the_server_imports(tmp_path):
    served = subprocess.run([sys.executable, "-c", _SERVE_THE_DEMO, f"sqlite:///{tmp_path / 'demo.db'}"],
                            cwd=PROJECT, capture_output=True, text=True, timeout=300, check=False)
    assert served.returncode == 0, served.stderr[-3000:]
    by_module = metadata.packages_distributions()
    imported = {canonicalize_name(distribution)
                for module in served.stdout.split() if module not in sys.stdlib_module_names
                for distribution in by_module.get(module, [])}
    assert {"flask", "rapidfuzz", "sqlalchemy"} <= imported  # the check sees what was imported
    assert imported - _installed_by(PROJECT / "requirements.txt") - OPTIONAL.keys() == set()
