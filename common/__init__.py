"""What every package shares and no package owns: the base class of user errors."""
