"""The rulebook: rule file -> checked model -> compiled RuleBase (see docs/architecture.md)."""
