"""Collects the digests with as_completed, so they come back in completion order."""
LOSES = 4  # in both hash_blobs tests the first blob finishes after another one

# %% grade_id: hash_blobs
from concurrent.futures import ThreadPoolExecutor, as_completed


def hash_blobs(blobs, workers=4, digest=gil.sha256_hex):
    """Return digest(blob) for every blob, in input order, computed in a pool of threads."""
    if workers < 1:
        raise ValueError(f"workers must be >= 1 (got {workers})")
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(digest, blob) for blob in blobs]
        return [future.result() for future in as_completed(futures)]
