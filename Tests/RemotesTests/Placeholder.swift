// Remotes tests land with issue 4.
