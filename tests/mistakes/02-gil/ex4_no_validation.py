"""Leaves workers < 1 to ThreadPoolExecutor, whose ValueError says something else."""
LOSES = 2  # the edge-case test checks the message

# %% grade_id: hash_blobs
import hashlib
from concurrent.futures import ThreadPoolExecutor


def sha256_hex(blob):
    """The SHA-256 hex digest of blob; hashlib releases the GIL for 2048 bytes or more."""
    return hashlib.sha256(blob).hexdigest()


def hash_blobs(blobs, workers=4, digest=sha256_hex):
    """Return digest(blob) for every blob, in input order, computed in a pool of threads."""
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(digest, blobs))
