// handoff-agent: wires the command line to the agent library.
int main()
{
    return 0;
}
