"""Correct, a pool made by hand: workers threads take (index, blob) pairs from a queue.Queue."""
LOSES = 0

# %% grade_id: hash_blobs
import hashlib
import queue
import threading


def sha256_hex(blob):
    """The SHA-256 hex digest of blob; hashlib releases the GIL for 2048 bytes or more."""
    return hashlib.sha256(blob).hexdigest()


def hash_blobs(blobs, workers=4, digest=sha256_hex):
    """Return digest(blob) for every blob, in input order, computed in a pool of threads."""
    if workers < 1:
        raise ValueError(f"workers must be >= 1 (got {workers})")
    todo = queue.Queue()
    for item in enumerate(blobs):
        todo.put(item)
    results = [None] * len(blobs)

    def worker():
        while True:
            try:
                i, blob = todo.get_nowait()
            except queue.Empty:
                return
            results[i] = digest(blob)

    threads = [threading.Thread(target=worker) for _ in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results
