"""What operators read: metrics, diagnostics and analytics."""
