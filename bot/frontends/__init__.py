"""Front ends: thin adapters that render the engine's replies (console, Telegram, web)."""
