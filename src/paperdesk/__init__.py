"""PaperDesk: browse researcher-profile pages."""
