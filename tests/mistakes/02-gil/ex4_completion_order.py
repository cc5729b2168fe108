"""Collects the digests with as_completed, so they come back in completion order."""
LOSES = 4  # in both hash_blobs tests the first blob finishes after the others

# %% grade_id: hash_blobs
import hashlib
from concurrent.futures import ThreadPoolExecutor


def sha256_hex(blob):
    """The SHA-256 hex digest of blob; hashlib releases the GIL for 2048 bytes or more."""
    return hashlib.sha256(blob).hexdigest()

from concurrent.futures import as_completed


def hash_blobs(blobs, workers=4, digest=sha256_hex):
    """Return digest(blob) for every blob, in input order, computed in a pool of threads."""
    if workers < 1:
        raise ValueError(f"workers must be >= 1 (got {workers})")
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(digest, blob) for blob in blobs]
        return [future.result() for future in as_completed(futures)]
