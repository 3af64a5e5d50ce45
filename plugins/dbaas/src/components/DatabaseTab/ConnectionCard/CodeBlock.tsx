import Box from '@material-ui/core/Box';
import { makeStyles } from '@material-ui/core/styles';
import { CodeSnippet, CopyTextButton } from '@backstage/core-components';

const useStyles = makeStyles({
  copy: {
    position: 'absolute',
    top: 0,
    right: 0,
  },
});

/**
 * A highlighted code block with a copy button. The element carrying
 * `testId` holds the code and nothing else, so a browser test can read
 * exactly what a user would paste.
 */
export const CodeBlock = (props: {
  code: string;
  language: string;
  testId: string;
  copyLabel: string;
}) => {
  const classes = useStyles();
  return (
    <Box position="relative">
      <div data-testid={props.testId}>
        <CodeSnippet
          text={props.code}
          language={props.language}
          customStyle={{ paddingRight: 48 }}
        />
      </div>
      <div className={classes.copy}>
        <CopyTextButton text={props.code} aria-label={props.copyLabel} />
      </div>
    </Box>
  );
};
