// Function-discovery corpus: C++ with virtual dispatch (vtables), templates, lambdas and the standard library.
#include <algorithm>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <vector>

struct Shape {
    virtual ~Shape() = default;
    virtual double area() const = 0;
    virtual std::string name() const = 0;
};

struct Square : Shape {
    explicit Square(double side) : side(side) {}
    double area() const override { return side * side; }
    std::string name() const override { return "square"; }
    double side;
};

struct Circle : Shape {
    explicit Circle(double radius) : radius(radius) {}
    double area() const override { return 3.14159265 * radius * radius; }
    std::string name() const override { return "circle"; }
    double radius;
};

template <typename T> static T largest(const std::vector<T> &values) { return *std::max_element(values.begin(), values.end()); }

int main(int argc, char **argv)
{
    std::vector<std::unique_ptr<Shape>> shapes;
    for (int i = 0; i < argc + 5; i++) {
        if (i % 2) shapes.push_back(std::make_unique<Square>(i)); else shapes.push_back(std::make_unique<Circle>(i));
    }
    std::sort(shapes.begin(), shapes.end(), [](const auto &a, const auto &b) { return a->area() < b->area(); });
    std::map<std::string, double> totals;
    for (const auto &shape : shapes) totals[shape->name()] += shape->area();
    for (const auto &[name, total] : totals) std::cout << name << ' ' << total << '\n';
    std::vector<int> numbers{argc, 4, 9, 1};
    std::cout << largest(numbers) << ' ' << (argv[0] ? std::string(argv[0]).size() : 0) << std::endl;
    return 0;
}
