"""The evidence metadata in the window: metadata columns, photo captions, fill-in and undo, the Excel round trip."""
