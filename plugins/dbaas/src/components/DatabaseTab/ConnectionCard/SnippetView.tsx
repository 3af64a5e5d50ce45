import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import type { Snippet } from '../../snippets';
import { CodeBlock } from './CodeBlock';

const useStyles = makeStyles(theme => ({
  text: {
    margin: theme.spacing(1, 0),
  },
}));

/**
 * One snippet: its setup step if any, the commands that set the password
 * variable if any, the code, and the notes.
 */
export const SnippetView = ({ snippet }: { snippet: Snippet }) => {
  const classes = useStyles();
  return (
    <>
      {snippet.setup && (
        <>
          <Typography variant="body2" className={classes.text}>
            {snippet.setup.description}
          </Typography>
          <CodeBlock
            code={snippet.setup.code}
            language={snippet.setup.language}
            testId={`dbaas-snippet-${snippet.format}-setup`}
            copyLabel={`Copy ${snippet.title} setup command`}
          />
        </>
      )}
      {snippet.password && (
        <>
          <Typography variant="body2" className={classes.text}>
            {snippet.setup ? 'Then put' : 'Put'} the password into{' '}
            <code>{snippet.password.variable}</code>, without it showing on
            screen:
          </Typography>
          {snippet.password.commands.map((command, index) => (
            <div key={command.code}>
              <Typography
                variant="body2"
                color="textSecondary"
                className={classes.text}
              >
                {command.label}
              </Typography>
              <CodeBlock
                code={command.code}
                language="bash"
                testId={`dbaas-snippet-${snippet.format}-password-${index}`}
                copyLabel={`Copy the command that sets ${
                  snippet.password!.variable
                }${index > 0 ? ` (option ${index + 1})` : ''}`}
              />
            </div>
          ))}
        </>
      )}
      {(snippet.setup || snippet.password) && (
        <Typography variant="body2" className={classes.text}>
          Then:
        </Typography>
      )}
      <CodeBlock
        code={snippet.code}
        language={snippet.language}
        testId={`dbaas-snippet-${snippet.format}`}
        copyLabel={`Copy ${snippet.title} snippet`}
      />
      {snippet.notes.map(note => (
        <Typography
          key={note}
          variant="body2"
          color="textSecondary"
          className={classes.text}
        >
          {note}
        </Typography>
      ))}
    </>
  );
};
