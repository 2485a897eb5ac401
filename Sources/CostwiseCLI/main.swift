import CostwiseCommands

// The lean executable: no networking stack linked, so every command starts fast; the few that need
// one hand the command line over to `costwise-net`.
CostwiseCommand.run(with: NetworkedExecutable())
