"""The engine's models (Run, StepRecord, DocProgress, Event) arrive with the engine."""
