import Commands
CairnCommand.runMain()
