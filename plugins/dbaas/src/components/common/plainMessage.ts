/**
 * A problem message in the words a form shows: the backend and the naming
 * rules quote values with backticks (for logs and pull requests), which a
 * form would show raw; here they become typographic quotes. A namespace and
 * name quoted apart (`a`/`b`) read as one reference (“a/b”).
 */
export function plainMessage(message: string): string {
  return message
    .replace(/`([^`\n]*)`\/`([^`\n]*)`/g, '“$1/$2”')
    .replace(/`([^`\n]*)`/g, '“$1”');
}

/** Each message in plain words, each once, in their first order. */
export function plainMessages(messages: Iterable<string>): string[] {
  return [...new Set([...messages].map(plainMessage))];
}
