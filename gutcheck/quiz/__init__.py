"""The quiz: its flow, steps, drafts and session, and the two prompters (plain, questionary)."""
