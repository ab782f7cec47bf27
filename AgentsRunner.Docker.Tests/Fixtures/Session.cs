// One test session for the whole run, from the AgentsRunner.Docker.Xunit package's fixture.
[assembly: AssemblyFixture(typeof(AgentsRunner.Docker.Xunit.DockerSessionFixture))]
