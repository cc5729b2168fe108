"""Python Concurrency Lab: the library every lesson notebook imports."""
