using System.Security.Cryptography;
using GhidraInsight.Analysis.Crypto;
using GhidraInsight.Analysis.Entropy;
using GhidraInsight.Analysis.Findings;
using GhidraInsight.Analysis.Formats;
using GhidraInsight.Analysis.Functions;
using GhidraInsight.Analysis.Model;
using GhidraInsight.Analysis.Strings;

namespace GhidraInsight.Analysis;

/// <summary>
/// One analysis, stage by stage. A stage that fails or runs out of time adds an error and the others go on
/// (after the time budget, the remaining stages are skipped): partial results beat no results.
/// </summary>
internal sealed class AnalysisRun(ReadOnlyMemory<byte> data, AnalysisOptions options, CancellationToken budget, CancellationToken caller)
{
    private readonly List<AnalysisError> _errors = [];
    private int _outOfTime;

    public AnalysisResult Execute()
    {
        IReadOnlyList<BinaryImage> images = Stage("parse", _errors, () => AnalysisEngine.ParseImages(data, budget)) ?? [];
        if (images.Count == 0 && Volatile.Read(ref _outOfTime) == 0 && _errors.Count == 0)
        {
            _errors.Add(new AnalysisError { Code = "unsupported", Message = "not an ELF, PE or Mach-O file; only strings, entropy and crypto constants were analysed", Offset = 0 });
        }
        var map = new AddressMap(images.SelectMany(i => i.Regions));
        // The whole-file passes (hashes, entropy, strings, crypto constants) do not depend on the images' analysis (functions, the
        // longest stage): they run beside it, on a core of their own when there is one. Their errors follow the images' ones, as
        // they did when the passes ran one after the other, so the result does not depend on which finished first.
        var wholeFile = Task.Run(() => WholeFilePasses(map), CancellationToken.None);
        // The file's hashes are filled in below, once the whole-file passes have them.
        var hashes = new BinaryInfo
        {
            Format = "unknown",
            Arch = "unknown",
            Endian = "unknown",
            Size = data.Length,
            Md5 = "",
            Sha1 = "",
            Sha256 = "",
        };
        var slices = images.Select(image => AnalyzeImage(image, hashes, map)).ToList();
        var (binary, entropy, strings, crypto, fileErrors) = wholeFile.GetAwaiter().GetResult();
        _errors.AddRange(fileErrors);
        var sha256 = binary.Sha256;
        slices = [.. slices.Select(s => s.Binary.Sha256.Length == 0 ? s with { AnalysisId = sha256, Binary = s.Binary with { Md5 = binary.Md5, Sha1 = binary.Sha1, Sha256 = sha256 } } : s)];
        var first = slices.FirstOrDefault();
        var (packed, reason) = PackingHeuristic.Judge(entropy.Overall, data.Length, slices.SelectMany(s => s.Sections));
        var top = first ?? new AnalysisResult
        {
            AnalysisId = sha256,
            EngineVersion = AnalysisEngine.Version,
            Binary = binary,
            Entropy = new EntropyInfo(),
            Mitigations = new Mitigations(),
        };
        var universal = images.Count > 1 || images.Any(i => i.ImageOffset != 0);
        return top with
        {
            // The top level describes the whole file (its hashes and size); for a universal file it mirrors the first slice otherwise.
            AnalysisId = sha256,
            Binary = top.Binary with
            {
                Kind = universal ? $"Mach-O universal ({images.Count} slices)" : top.Binary.Kind,
                Size = binary.Size,
                Md5 = binary.Md5,
                Sha1 = binary.Sha1,
                Sha256 = sha256,
            },
            Strings = strings,
            Crypto = crypto,
            Entropy = entropy with { Packed = packed, Reason = reason },
            Slices = universal ? [.. slices.Zip(images, (s, i) => new SliceAnalysis { Arch = s.Binary.Arch, Offset = i.ImageOffset, Size = i.ImageSize, Analysis = s })] : [],
            Errors = [.. _errors, .. images.SelectMany(i => i.Errors)],
        };
    }

    /// <summary>Hashes, entropy (overall and over offset), strings and crypto constants of the whole file, with the errors they met.</summary>
    private (BinaryInfo Binary, EntropyInfo Entropy, IReadOnlyList<StringInfo> Strings, IReadOnlyList<CryptoHit> Crypto, List<AnalysisError> Errors) WholeFilePasses(
        AddressMap map)
    {
        var errors = new List<AnalysisError>();
        var span = data.Span;
        var binary = new BinaryInfo
        {
            Format = "unknown",
            Arch = "unknown",
            Endian = "unknown",
            Size = data.Length,
            Md5 = Convert.ToHexStringLower(MD5.HashData(span)),
            Sha1 = Convert.ToHexStringLower(SHA1.HashData(span)),
            Sha256 = Convert.ToHexStringLower(SHA256.HashData(span)),
        };
        var (overall, blockSize, profile) = EntropyProfile.Compute(span);
        var entropy = new EntropyInfo { Overall = overall, BlockSize = blockSize, Profile = profile };
        IReadOnlyList<StringInfo> strings = Stage("strings", errors, () => StringExtractor.Extract(data.Span, map, options.MaxStrings, errors, budget)) ?? [];
        IReadOnlyList<CryptoHit> crypto = Stage("crypto", errors, () => CryptoConstantScanner.Scan(data.Span, map, budget)) ?? [];
        return (binary, entropy, strings, crypto, errors);
    }

    /// <summary>Structure, findings and functions of one image (a file, or one slice of a universal file).</summary>
    private AnalysisResult AnalyzeImage(BinaryImage image, BinaryInfo fileInfo, AddressMap fileMap)
    {
        var imageBytes = image.ImageOffset == 0 && image.ImageSize == data.Length ? data : data.Slice((int)image.ImageOffset, (int)image.ImageSize);
        var binary = fileInfo with
        {
            Format = image.Format,
            Kind = image.Kind,
            Arch = image.Arch,
            Bits = image.Bits,
            Endian = image.Endian,
            FileType = image.FileType,
            EntryPoint = image.EntryPoint,
            ImageBase = image.ImageBase,
        };
        var isSlice = imageBytes.Length != data.Length;
        if (isSlice)
        {
            var slice = imageBytes.Span;
            binary = binary with
            {
                Size = slice.Length,
                Md5 = Convert.ToHexStringLower(MD5.HashData(slice)),
                Sha1 = Convert.ToHexStringLower(SHA1.HashData(slice)),
                Sha256 = Convert.ToHexStringLower(SHA256.HashData(slice)),
            };
        }
        var sections = image.Sections.Select(s => s with { Entropy = SectionEntropy(s) }).ToList();
        var map = new AddressMap(image.Regions);
        var functions = Stage("functions", _errors, () => FunctionDiscovery.Discover(data, image, map, options.MaxFunctions, budget)) ?? [];
        return new AnalysisResult
        {
            AnalysisId = binary.Sha256,
            EngineVersion = AnalysisEngine.Version,
            Binary = binary,
            Sections = sections,
            Segments = image.Segments,
            Symbols = image.Symbols,
            Imports = image.Imports,
            Exports = image.Exports,
            // A whole-file image gets the file's entropy (profile and packed verdict too) at the top level; only slices need their
            // own, overall only: the top level's profile covers the slices' bytes too.
            Entropy = isSlice ? new EntropyInfo { Overall = ShannonEntropy.Compute(imageBytes.Span) } : new EntropyInfo(),
            Findings = RiskyApiDetector.Detect(image),
            Mitigations = image.Mitigations,
            Functions = functions,
            Errors = image.Errors,
        };
    }

    private double? SectionEntropy(SectionInfo section)
    {
        if (section.FileSize <= 0 || section.Offset < 0 || section.Offset > data.Length)
        {
            return null;
        }
        var length = Math.Min(section.FileSize, data.Length - section.Offset);
        return length <= 0 ? null : ShannonEntropy.Compute(data.Span.Slice((int)section.Offset, (int)length));
    }

    /// <summary>Runs one stage; its failure, or the time budget running out (said once, by whichever stage met it first), goes to <paramref name="errors"/>.</summary>
    private T? Stage<T>(string name, List<AnalysisError> errors, Func<T> work) where T : class
    {
        if (Volatile.Read(ref _outOfTime) != 0)
        {
            return null;
        }
        try
        {
            return work();
        }
        catch (OperationCanceledException) when (!caller.IsCancellationRequested && budget.IsCancellationRequested)
        {
            if (Interlocked.Exchange(ref _outOfTime, 1) == 0)
            {
                errors.Add(new AnalysisError { Code = "time_budget", Message = $"time budget of {options.TimeBudget.TotalSeconds:0.#} s ran out during {name}; later stages were skipped" });
            }
            return null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A parser bug must not cost the user the rest of the analysis.
            errors.Add(new AnalysisError { Code = "internal", Message = $"{name} failed: {ex.GetType().Name}: {ex.Message}" });
            return null;
        }
    }
}
