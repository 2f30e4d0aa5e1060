"""A module that makes the syscall while it is being imported."""
import pkg_b

pkg_b.g()  # L:import
