"""The chat turn: validation, admission, prompts, the answer cache policy, the turn recorder and the service."""
