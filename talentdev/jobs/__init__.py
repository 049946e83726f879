"""How the background jobs fare: one record per task, written by the workers as they run."""
