using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;

namespace GhidraInsight.Bench;

/// <summary>
/// The least a YARP proxy can be, as a reference for the gateway's figures: Kestrel and <see cref="IHttpForwarder"/> with their
/// defaults, every request to one destination, no middleware, no routing, no retries, no metrics, no logging. What the gateway
/// costs beyond it is ours; what it costs beyond nginx and this does not is the platform's.
/// </summary>
internal static class YarpReference
{
    /// <summary>Runs until killed; prints <c>listening</c> once it accepts connections.</summary>
    public static async Task<int> RunAsync(int port, Uri destination)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Loopback, port);
        });
        builder.Services.AddHttpForwarder();
        await using var app = builder.Build();
        using var client = new HttpMessageInvoker(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
        });
        var forwarder = app.Services.GetRequiredService<IHttpForwarder>();
        var config = new ForwarderRequestConfig { Version = HttpVersion.Version11, VersionPolicy = HttpVersionPolicy.RequestVersionOrLower };
        var prefix = destination.AbsoluteUri;
        app.Run(async context => await forwarder.SendAsync(context, prefix, client, config, HttpTransformer.Empty));
        await app.StartAsync();
        Console.WriteLine("listening");
        await app.WaitForShutdownAsync();
        return 0;
    }
}
