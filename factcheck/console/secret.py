"""The key Flask signs the console's session cookie with: from SECRET_KEY, else the instance folder."""
import os
import secrets
import time
from pathlib import Path

FILE_NAME = "secret_key"


def instance_secret(instance_path: str) -> str:
    """The key kept in the instance folder, made on first use. O_EXCL: of the gunicorn
    workers starting together exactly one writes it, and the others read that one."""
    path = Path(instance_path) / FILE_NAME
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        for _ in range(100):  # the writer may not have written it yet
            if key := path.read_text().strip():
                return key
            time.sleep(0.01)
        raise RuntimeError(f"{path} is empty: delete it, or set SECRET_KEY.") from None
    key = secrets.token_hex(32)
    with os.fdopen(descriptor, "w") as file:
        file.write(key)
    return key
