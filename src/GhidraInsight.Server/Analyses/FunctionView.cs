using System.Text.Json.Serialization;
using GhidraInsight.Analysis.Json;
using GhidraInsight.Analysis.Model;
using GhidraInsight.Http.Contracts;

namespace GhidraInsight.Server.Analyses;

/// <summary>
/// <c>GET /api/analyses/{id}/functions/{address}</c>: one function as this region serves it, in the analysis JSON's own terms
/// (addresses as hex strings): the function (with an annotated name, and the binary's own as <c>original_name</c>), its
/// callers, its disassembly when this region holds or could fetch the binary, and its annotation.
/// </summary>
internal sealed record FunctionView(
    FunctionInfo Function,
    [property: JsonConverter(typeof(HexAddressListConverter))] IReadOnlyList<ulong> Callers,
    IReadOnlyList<Instruction> Instructions,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] AnnotationBody? Annotation,
    bool DisassemblyAvailable,
    string Region);
