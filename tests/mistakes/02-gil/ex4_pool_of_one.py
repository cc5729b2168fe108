"""Creates the pool with one thread (max_workers=1), so the blobs are hashed one at a time."""
LOSES = 4  # both hash_blobs tests check that two blobs were hashed at once

# %% grade_id: hash_blobs
import hashlib
from concurrent.futures import ThreadPoolExecutor


def sha256_hex(blob):
    """The SHA-256 hex digest of blob; hashlib releases the GIL for 2048 bytes or more."""
    return hashlib.sha256(blob).hexdigest()


def hash_blobs(blobs, workers=4, digest=sha256_hex):
    """Return digest(blob) for every blob, in input order, computed in a pool of threads."""
    if workers < 1:
        raise ValueError(f"workers must be >= 1 (got {workers})")
    with ThreadPoolExecutor(max_workers=1) as pool:
        return list(pool.map(digest, blobs))
