using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace Sdrs.Tests;

/// <summary>ISdrsClient covers every public operation of SdrsClient, and can be faked without libsdrs.</summary>
public class InterfaceTests
{
    [Fact]
    public void EveryPublicOperationIsOnTheInterface()
    {
        InterfaceMapping map = typeof(SdrsClient).GetInterfaceMap(typeof(ISdrsClient));
        var implemented = map.TargetMethods.ToHashSet();
        MethodInfo[] publicOps = typeof(SdrsClient)
            .GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .Where(m => !m.IsSpecialName && m.Name != nameof(SdrsClient.Dispose))
            .ToArray();
        Assert.True(publicOps.Length > 30, $"only {publicOps.Length} public operations found");
        string[] missing = publicOps.Where(m => !implemented.Contains(m)).Select(m => m.Name).OrderBy(n => n, StringComparer.Ordinal).ToArray();
        Assert.True(missing.Length == 0, "public on SdrsClient but not on ISdrsClient: " + string.Join(", ", missing));
        Assert.True(typeof(IDisposable).IsAssignableFrom(typeof(ISdrsClient)));
    }

    [Fact]
    public async Task CodeWrittenAgainstTheInterfaceRunsOnAFake()
    {
        ISdrsClient fake = FakeClient.Create(new ProtectedInstance { Id = "pi-1", Status = ProtectedInstanceStatus.Protected });
        ProtectedInstance pi = await fake.GetProtectedInstanceAsync("pi-1");
        Assert.Equal(ProtectedInstanceStatus.Protected, pi.Status);
        Assert.Equal(["GetProtectedInstanceAsync"], ((FakeClient)(object)fake).Calls);
        await Assert.ThrowsAsync<NotSupportedException>(() => fake.FailoverAsync("g"));
    }

    /// <summary>A minimal hand-rolled mock: answers GetProtectedInstanceAsync, refuses the rest.</summary>
    public class FakeClient : DispatchProxy
    {
        private ProtectedInstance? _answer;

        public List<string> Calls { get; } = [];

        public static ISdrsClient Create(ProtectedInstance answer)
        {
            ISdrsClient proxy = Create<ISdrsClient, FakeClient>();
            ((FakeClient)(object)proxy)._answer = answer;
            return proxy;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            Calls.Add(targetMethod!.Name);
            return targetMethod.Name == nameof(ISdrsClient.GetProtectedInstanceAsync)
                ? Task.FromResult(_answer!)
                : Task.FromException<string>(new NotSupportedException(targetMethod.Name));
        }
    }
}
