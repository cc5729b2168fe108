"""Correct, with type hints and a warning logged to stderr for every blob hashed."""
LOSES = 0

# %% grade_id: hash_blobs
import hashlib
from concurrent.futures import ThreadPoolExecutor


def sha256_hex(blob):
    """The SHA-256 hex digest of blob; hashlib releases the GIL for 2048 bytes or more."""
    return hashlib.sha256(blob).hexdigest()

import logging
from typing import Callable

log = logging.getLogger("hash_blobs")


def hash_blobs(blobs: list[bytes], workers: int = 4,
               digest: Callable[[bytes], str] = sha256_hex) -> list[str]:
    """Return digest(blob) for every blob, in input order, computed in a pool of threads."""
    if workers < 1:
        raise ValueError(f"workers must be >= 1 (got {workers})")

    def logged(blob: bytes) -> str:
        log.warning("hashing %d bytes", len(blob))
        return digest(blob)

    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="hasher") as pool:
        return list(pool.map(logged, blobs))
