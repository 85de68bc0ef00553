"""What the bank and the corpus readers share: the YAML reader, issues and their catalogue, field
readers, the markup check, and the one base class for a person's mistakes (`common.errors`)."""
