import CostwiseCommands

// The same commands as `costwise`, with the upstream HTTP client and the gateway linked: `costwise` hands
// `serve` and the llm classifier over to this executable.
CostwiseCommand.run(with: LinkedNetworkStack())
