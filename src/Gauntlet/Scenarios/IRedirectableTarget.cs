using System.Net;

namespace Gauntlet.Scenarios;

/// <summary>
/// What an operation returns from <see cref="Operation.Redirection"/> when it talks to one TCP address that can be
/// changed: the engine then puts a fault proxy in front of that address for the scenario's faults and sends the
/// operation through it. The TCP and HTTP operations implement it; so can an operation of one's own.
/// </summary>
public interface IRedirectableTarget
{
    /// <summary>
    /// The address operations connect to, once the scenario's <see cref="Operation.SetUpAsync"/> has run; null when there
    /// is not exactly one (an HTTP mix over several hosts), then the faults cannot be injected and the run stops
    /// with what to do.
    /// </summary>
    IPEndPoint? TargetEndPoint { get; }

    /// <summary>From now on, operations connect to <paramref name="endpoint"/> instead (the proxy's address), with the same requests.</summary>
    void Redirect(IPEndPoint endpoint);
}
