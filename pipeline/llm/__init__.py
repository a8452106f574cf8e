"""The model side: the chat model interface and its providers, the endpoint guard, the prompt files."""
