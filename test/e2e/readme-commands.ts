/**
 * The shell commands of README.md's ```sh code blocks, for the README test: continuation lines
 * joined, heredocs kept whole with their body, comment-only lines left out.
 */
export function readmeCommands(markdown: string): string[] {
  const commands: string[] = [];
  for (const block of markdown.matchAll(/```sh\n([\s\S]*?)```/g)) {
    const lines = block[1]!.split('\n');
    for (let i = 0; i < lines.length; i++) {
      let command = lines[i]!;
      if (!command.trim() || command.trim().startsWith('#')) continue;
      while (command.endsWith('\\') && i + 1 < lines.length)
        command = `${command.slice(0, -1)} ${lines[++i]!.trim()}`;
      const heredoc = /<<-?'?(\w+)'?/.exec(command);
      if (heredoc) {
        while (i + 1 < lines.length) {
          command += `\n${lines[++i]}`;
          if (lines[i]!.trim() === heredoc[1]) break;
        }
      }
      commands.push(command);
    }
  }
  return commands;
}
