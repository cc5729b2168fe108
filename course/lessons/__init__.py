"""One package per lesson: the instruments its notebook calls, split by concern."""
