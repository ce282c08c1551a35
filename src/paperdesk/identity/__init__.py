"""People's identities: name forms (`forms`), the user's decisions (`decisions`), the
store's name blocks and evidence (`evidence`), decisions applied to the store
(`apply`), and the `paperdesk people` command (`command`)."""
